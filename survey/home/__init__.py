"""Each person's home page: what her role lets her do, and nothing she cannot open."""
