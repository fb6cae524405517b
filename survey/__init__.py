"""A participatory survey platform for community-based organisations."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask import Flask


def create_app(
    test_config: Mapping[str, Any] | None = None, instance_path: str | None = None
) -> Flask:
    app = Flask(__name__, instance_relative_config=True, instance_path=instance_path)

    from . import config

    app.config.from_mapping(config.defaults(app.instance_path))
    if test_config is None:
        app.config.from_pyfile("config.py", silent=True)
    else:
        app.config.from_mapping(test_config)

    from . import bootstrap, db, errors, i18n, navigation, request_log, security
    from .i18n import cli as i18n_cli
    from .accounts import auth, bulk, cli as users_cli, people, roles, views as accounts_views
    from .audit import views as audit_views
    from .collect import handover, views as collect_views
    from .consent import cli as consent_cli, views as consent_views
    from .review import views as review_views
    from .results import views as results_views
    from .submissions import views as submissions_views
    from .forms import catalog, cli as forms_cli
    from .organisations import cli as orgs_cli, views as orgs_views
    from .home import views as home_views
    from .export import cli as export_cli
    from .results import cli as results_cli
    from . import sync
    from .vault import wiring as vault
    from .backup import cli as backup_cli
    from .offline import views as offline_views
    from .authoring import views as authoring_views
    from .jobs import cli as jobs_cli, views as jobs_views

    vault.init_app(app)
    security.init_app(app)
    db.init_app(app)
    i18n.init_app(app)
    auth.init_app(app)
    catalog.init_app(app)
    navigation.init_app(app)
    roles.init_app(app)
    request_log.init_app(app)
    handover.init_app(app)

    app.register_blueprint(accounts_views.bp)
    app.register_blueprint(people.bp)
    app.register_blueprint(bulk.bp)
    app.register_blueprint(home_views.bp)
    app.register_blueprint(orgs_views.bp)
    app.register_blueprint(collect_views.bp)
    app.register_blueprint(submissions_views.bp)
    app.register_blueprint(consent_views.bp)
    app.register_blueprint(audit_views.bp)
    app.register_blueprint(review_views.bp)
    app.register_blueprint(results_views.bp)
    app.register_blueprint(sync.bp)
    app.register_blueprint(offline_views.bp)
    app.register_blueprint(authoring_views.bp)
    app.register_blueprint(jobs_views.bp)

    users_cli.init_app(app)
    forms_cli.init_app(app)
    orgs_cli.init_app(app)
    export_cli.init_app(app)
    results_cli.init_app(app)
    jobs_cli.init_app(app)
    consent_cli.init_app(app)
    bootstrap.init_app(app)
    i18n_cli.init_app(app)
    sync.init_app(app)
    backup_cli.init_app(app)
    errors.init_app(app)
    return app
