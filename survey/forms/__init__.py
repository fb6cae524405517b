"""Survey forms: definitions from YAML, expressions, question types, validation."""
