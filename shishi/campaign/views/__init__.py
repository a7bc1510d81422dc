"""Staff pages of the campaign module, by page: directives, assignments and study sessions
(`directives`), 巡回指导 and 整改 (`guidance`)."""
