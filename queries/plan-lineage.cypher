// name: plan-lineage
// purpose: Which documents implement, cite or issue which plans, and which document of the graph publishes each plan.
// params: none
// order: document, relation, plan, published_by
// columns: document, relation, plan, published_by
MATCH (d:Document)-[c:CITES]->(p:Plan)
OPTIONAL MATCH (publisher:Document)-[:PUBLISHES]->(p)
  WHERE publisher <> d
RETURN coalesce(d.attachment_title, d.title, "") AS document, c.relation AS relation, p.title AS plan,
       coalesce(publisher.attachment_title, "") AS published_by
ORDER BY document, relation, plan, published_by
