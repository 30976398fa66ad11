"""Client pages, one module a part: `clients` (list, page, owner, contacts), `interactions`,
`journey`, `maps` (stakeholder maps), `surveys`, `portal` (the employer contact's view)."""
