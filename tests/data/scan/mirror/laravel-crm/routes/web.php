<?php

use Illuminate\Support\Facades\Route;

Route::get('/up', fn () => response('ok'));
// $password = 'admin123'; // removed in 2022
