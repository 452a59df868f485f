"""Small plain helpers with no Django models."""
