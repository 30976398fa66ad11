"""Writes for business issues (`issues`) and proposals (`proposals`). Every function takes the
acting user, checks what they may do, runs in one transaction and raises ValidationError (a
message a person can act on) or PermissionDenied."""
