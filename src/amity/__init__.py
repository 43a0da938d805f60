"""amity: a sourced, geocoded registry of sister-city relations read from the news."""
