"""Staff and public pages of the enterprise desk."""
