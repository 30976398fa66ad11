"""Views of the proposals app, one module per part (issues, engagements, proposals, document)."""
