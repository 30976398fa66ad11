"""Writes for clients, split by sub-domain: `clients` (clients, owners, contacts), `journey`
(stages and who is responsible), `interactions` (what happened and next steps), `maps`
(stakeholder maps and consensus), `surveys` (service satisfaction), `health` (the score).

Every function takes the acting user, checks what they may do, runs in one transaction and
raises ValidationError (a message a person can act on) or PermissionDenied.
"""
