"""`python -m bench.broker` talks to the embedded broker whatever the environment names."""

from bench.broker import embedded_app


def test_the_producer_uses_the_folder_broker_even_with_celery_broker_url_exported(
    tmp_path, monkeypatch
):
    # Celery prefers this variable to the configured broker_url; `make bench` run next to
    # a real stack (or in CI) has it set, and the bench's pings then went to Redis.
    monkeypatch.setenv("CELERY_BROKER_URL", "redis://127.0.0.1:6379/0")
    folder = str(tmp_path / "broker")
    options = {"data_folder_in": folder, "data_folder_out": folder, "control_folder": folder}

    app = embedded_app("filesystem://", options)

    with app.connection_for_write() as connection:
        assert connection.transport_cls == "filesystem"
        assert connection.transport_options["control_folder"] == folder
    app.close()
