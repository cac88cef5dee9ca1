"""Other tools' formats: Konveyor questionnaires and assessments."""
