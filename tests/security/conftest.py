from tests.deepfake.conftest import shipped_model  # noqa: F401 - the lab's model, for upload tests
