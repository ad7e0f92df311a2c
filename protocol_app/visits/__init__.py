"""Visits: state guests, delegations and ambassadors' calls, from request to report."""
