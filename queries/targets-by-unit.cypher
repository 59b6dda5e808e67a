// name: targets-by-unit
// purpose: The quantitative targets each unit is accountable for (in tasks it leads or shares), and by when.
// params: none
// order: unit_id, document, task_id, metric, value, deadline
// columns: unit, unit_id, document, task_id, metric, op, value, measure, deadline
// (deadline: the target's own, else its task's — a 完成时限 cell or clause; "" when neither says.)
// (value: every backend returns a whole number as an integer, as SPARQL does for xsd:decimal.)
MATCH (u:Unit)-[r:RESPONSIBLE_FOR]->(t:Task)-[:HAS_TARGET]->(g:Target)
WHERE r.role IN ["lead", "shared"]
MATCH (t)-[:PART_OF*]->(d:Document)
RETURN u.name AS unit, u.unit_id AS unit_id, coalesce(d.attachment_title, d.title, "") AS document,
       t.task_id AS task_id, g.metric AS metric, g.op AS op,
       g.value AS value,
       g.unit AS measure, coalesce(g.deadline, t.deadline, "") AS deadline
ORDER BY unit_id, document, task_id, metric, value, deadline
