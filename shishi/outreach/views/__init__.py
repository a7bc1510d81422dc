"""Staff pages of the outreach module (one module per part) and its public pages."""
