-- A unit's neighbour links are found from either end: saving or retiring a unit deletes the
-- links naming it as a neighbour, and deleting a unit cascades to them. Without this index
-- both read the whole table.
CREATE INDEX unit_neighbours_neighbour ON unit_neighbours (neighbour_id);
