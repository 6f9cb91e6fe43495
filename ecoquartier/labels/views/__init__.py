"""Label pages. Thin: permissions.py decides, services.py changes state, figures.py counts.
Not allowed to see → 404; allowed to see but not to act → 403. Every page is bounded in queries."""
