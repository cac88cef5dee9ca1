<?php
// vendored code: never the application's
$secret = 'AKIAABCDEFGHIJKLMNOP';
