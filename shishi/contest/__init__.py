"""单位竞赛（六比一看）: contests, monthly dispatch, scoring, rankings, interviews."""
