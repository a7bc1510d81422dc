"""宣传宣讲与志愿服务: lecture teams and lectures, party-member pioneer posts, volunteer teams
and the 党史上的今天 screen."""
