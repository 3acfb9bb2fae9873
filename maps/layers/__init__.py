"""The map's overlays, built from an events frame: ``rich`` draws one feature per
event and puts the layers in legend order, ``compact`` encodes point events as columns
for a canvas, ``regions`` draws the front regions' polygons, ``sources`` the places
claims come from, and ``shapes`` the geometry as the page draws it."""
