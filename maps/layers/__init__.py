"""The map's overlays, built from an events frame: ``rich`` draws one feature per
event, ``compact`` encodes point events as columns for a canvas."""
