"""Operations: backup and restore, security headers, login rate limiting, production settings."""
