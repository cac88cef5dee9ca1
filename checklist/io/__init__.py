"""The only layer that touches the outside world: reading and writing files, the terminal's
progress bar, worker processes."""
