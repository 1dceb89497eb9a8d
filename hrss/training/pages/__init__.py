"""HTML pages of vocational training and skill appraisal: public (catalogue, course,
verification), the citizen's, the institution's and appraisal body's, and staff supervision.
Thin views: scope, a service or selector, a template."""
