"""Staff pages of the unit competition: setup, the monthly dispatch, rankings and reviews."""
