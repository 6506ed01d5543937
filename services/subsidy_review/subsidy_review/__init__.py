"""subsidy_review: applications (stages 1-4) and the timeline of every stage."""
