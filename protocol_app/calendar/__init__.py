"""Calendar: month, week and agenda views and personal iCalendar feeds, fed by
sources that each domain registers (visits now, assignments later)."""
