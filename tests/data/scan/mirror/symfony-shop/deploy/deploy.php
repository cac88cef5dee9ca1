<?php
// Deployer recipe: releases to the two VMs over SSH
host('shop1.internal')->set('deploy_path', '/var/www/shop');
