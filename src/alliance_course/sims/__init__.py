"""Simulations as pure functions (force generation, public goods, networks), each with a thin widget view."""
