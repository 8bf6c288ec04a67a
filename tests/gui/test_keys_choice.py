"""Settings: where a Vertex AI job gets the Supabase keys: Secret Manager (safer) or plain env (less safe)."""

from __future__ import annotations

from core.store import config as config_mod
from core.store.config import AppConfig
from gui.keys_choice import KeysChoice


def test_the_choice_is_saved_and_the_plain_one_says_it_is_less_safe(qtbot):
    holder = {"cfg": AppConfig()}
    saved: list[AppConfig] = []

    def save(cfg):
        config_mod.save(cfg)
        holder["cfg"] = cfg
        saved.append(cfg)

    choice = KeysChoice(lambda: holder["cfg"], save)
    qtbot.addWidget(choice)
    choice.show()
    assert choice.secret_manager.text() == "Keep the Supabase keys in Secret Manager (safer)"
    assert choice.plain_env.isChecked() and "less safe" in choice.plain_env.text()
    assert choice.note.isVisible() and "can read the key" in choice.note.text()
    assert saved == []  # showing the saved choice writes nothing

    choice.secret_manager.click()
    assert config_mod.load().config.cloud.keys_in_secret_manager is True
    assert not choice.note.isVisible()
    choice.plain_env.click()
    assert config_mod.load().config.cloud.keys_in_secret_manager is False
    assert len(saved) == 2
