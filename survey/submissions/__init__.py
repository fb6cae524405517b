"""Reading stored submissions: the list, and one submission with its notes."""
