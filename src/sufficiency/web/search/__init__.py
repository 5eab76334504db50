"""Search across children, carers, homes, vacancies and referrals (each by what the role may see)."""
