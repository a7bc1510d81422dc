"""报表: dashboards, summary tables, the monthly bulletin (通报), the project report and the
overview (综述), all read from the figures the modules register (core.figures)."""
