"""The interview: the flow (`flow`) and its terminal side (`prompts`)."""
