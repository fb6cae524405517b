"""The audit trail: append-only records of sensitive actions. Never answer text,
IP addresses or user agents."""
