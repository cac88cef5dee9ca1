"""Konveyor interoperability: its questionnaires, scored exactly as Konveyor scores them.

Konveyor (Tackle 2 hub, Red Hat MTA) assesses applications with
questionnaires: sections of questions whose answers carry a risk (green,
yellow, red, unknown). One module per concern, all pure (no printing; files
are read only by `loader`):

- `model`: a questionnaire as frozen dataclasses;
- `loader`: read questionnaires in both shapes Konveyor uses (a single
  document, and the hub's seed file ``kind: questionnaire`` with ``items:``);
- `scoring`: Konveyor's arithmetic (risk, confidence, their aggregates);
- `assessment`: an application's answers and tags scored with those rules;
- `export`: our catalog written as a Konveyor questionnaire;
- `application_csv`: Konveyor's application CSV read as our inventory.
"""
