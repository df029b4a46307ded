"""Report formats: one module per format, each with `render(result) -> str`."""
