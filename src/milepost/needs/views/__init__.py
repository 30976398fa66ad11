"""The needs app's pages: `needs` (intake, a need, triage), `themes`, `board` (the demand board,
its weights, the pull dashboard and the training plan)."""
