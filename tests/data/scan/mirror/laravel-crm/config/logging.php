<?php

return [
    'default' => env('LOG_CHANNEL', 'stack'),
    'channels' => [
        'stderr' => ['driver' => 'monolog', 'with' => ['stream' => 'php://stderr']],
    ],
];
