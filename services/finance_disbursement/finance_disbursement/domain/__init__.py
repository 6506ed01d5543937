"""The finance bureau's rules, free of frameworks: workflows, reconciliation of batches, input checks."""
