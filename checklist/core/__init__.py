"""The pure layer: vocabulary, model and judgement. No I/O, no printing."""
