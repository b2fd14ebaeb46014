"""Operations: backup and restore, security headers, the sign-in throttle, production settings."""
