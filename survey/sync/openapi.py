"""The OpenAPI 3.1 description of the sync API, served at /api/v1/openapi.json."""

from __future__ import annotations

from typing import Any

from .ingest import Result
from .keys import ALGORITHM, EC_ALGORITHM
from .sealing import COMMON, FIELDS, HKDF_INFO

TEXT = {"type": "object", "additionalProperties": {"type": "string"},
        "description": "A text in each language: language code to text."}
TREE = {"description": "A parsed expression, as survey/forms/expressions.py builds it.",
        "type": ["array", "null"]}


def _ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def _json(schema: dict[str, Any], description: str) -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


def _error(description: str) -> dict[str, Any]:
    return _json(_ref("Error"), description)


def _get(summary: str, schema: dict[str, Any], **extra: Any) -> dict[str, Any]:
    responses = {"200": _json(schema, summary), "401": _error("Not logged in, or the session ended."),
                 "403": _error("This role may not sync, or she must change her password first.")}
    responses.update(extra)
    return {"get": {"summary": summary, "security": [{"session": []}], "responses": responses}}


SCHEMAS: dict[str, Any] = {
    "Error": {"type": "object", "required": ["error"], "properties": {"error": {
        "type": "object", "required": ["code", "message"], "properties": {
            "code": {"type": "string", "examples": ["login_required", "csrf_failed", "too_large"]},
            "message": {"type": "string"}, "field": {"type": "string"}}}}},
    "Session": {"type": "object", "properties": {
        "user": {"type": "object", "properties": {
            "username": {"type": "string"}, "role": {"type": "string"},
            "organisation": {"type": ["string", "null"]}}},
        "csrf_token": {"type": "string"}, "ui_language": {"type": "string"},
        "limits": {"type": "object", "properties": {
            "max_batch": {"type": "integer"}, "max_bytes": {"type": "integer"}}}}},
    "PublicKey": {"type": "object", "required": ["kid", "alg", "jwk"], "properties": {
        "kid": {"type": "string", "description": "SHA-256 hex of the public key's SPKI DER."},
        "alg": {"enum": [EC_ALGORITHM, ALGORITHM]},
        "jwk": {"type": "object", "description": "The public key as a JWK, for WebCrypto importKey: "
                                                 "EC P-256 (ECDH) or RSA (RSA-OAEP, SHA-256)."}}},
    "Key": {"type": "object", "required": ["kid", "alg", "jwk", "keys"], "properties": {
        "kid": {"type": "string", "description": "The RSA key's id, for tablets that have not updated."},
        "alg": {"const": ALGORITHM},
        "jwk": {"type": "object", "description": "RSA public key as a JWK, for WebCrypto importKey."},
        "keys": {"type": "array", "items": _ref("PublicKey"),
                 "description": f"Every key; seal with the {EC_ALGORITHM} one."}}},
    "FormSummary": {"type": "object", "properties": {
        "id": {"type": "string"}, "version": {"type": "string"}, "content_hash": {"type": "string"},
        "title": TEXT, "languages": {"type": "array", "items": {"type": "string"}},
        "default_language": {"type": "string"}}},
    "Question": {"type": "object", "properties": {
        "name": {"type": "string"}, "type": {"type": "string"}, "label": TEXT,
        "hint": {"oneOf": [TEXT, {"type": "null"}]}, "required": {"type": "boolean"},
        "choices": {"type": "array", "items": {"type": "object", "properties": {
            "value": {"type": "string"}, "label": TEXT}}},
        "relevant": TREE, "constraint": TREE,
        "constraint_message": {"oneOf": [TEXT, {"type": "null"}]}, "options": {"type": "object"}}},
    "Form": {"allOf": [_ref("FormSummary"), {"type": "object", "properties": {
        "fallbacks": {"type": "object", "additionalProperties": {
            "type": "array", "items": {"type": "string"}}},
        "consent": {"type": "object", "properties": {
            "version": {"type": "string"}, "text": TEXT,
            "optional": {"type": "array", "items": {"type": "object", "properties": {
                "name": {"type": "string"}, "label": TEXT}}}}},
        "sections": {"type": "array", "items": {"type": "object", "properties": {
            "name": {"type": "string"}, "title": {"oneOf": [TEXT, {"type": "null"}]},
            "relevant": TREE, "questions": {"type": "array", "items": _ref("Question")}}}},
        "messages": {"type": "object", "additionalProperties": TEXT}}}]},
    "SealedRecord": {"oneOf": [_ref("SealedECDH"), _ref("SealedRSA")]},
    "SealedECDH": {"type": "object", "required": ["alg", *COMMON, "epk"], "properties": {
        "alg": {"const": EC_ALGORITHM},
        "uuid": {"type": "string", "format": "uuid"},
        "kid": {"type": "string", "description": f"The {EC_ALGORITHM} key's id."},
        "epk": {"type": "string", "contentEncoding": "base64",
                "description": "A new P-256 public key for this record, uncompressed (65 bytes). "
                               "AES key: HKDF-SHA256 of the ECDH secret, salt = these 65 bytes, "
                               f"info = '{HKDF_INFO.decode()}'."},
        "iv": {"type": "string", "contentEncoding": "base64", "description": "12 bytes."},
        "ciphertext": {"type": "string", "contentEncoding": "base64",
                       "description": "AES-256-GCM of the Record as UTF-8 JSON, tag appended; "
                                      "additional data: the uuid as UTF-8."}}},
    "SealedRSA": {"type": "object", "required": list(FIELDS), "properties": {
        "alg": {"const": ALGORITHM, "description": "May be left out: the old seal."},
        "uuid": {"type": "string", "format": "uuid"},
        "kid": {"type": "string"},
        "wrapped_key": {"type": "string", "contentEncoding": "base64",
                        "description": "RSA-OAEP (SHA-256) of a 256-bit AES key."},
        "iv": {"type": "string", "contentEncoding": "base64", "description": "12 bytes."},
        "ciphertext": {"type": "string", "contentEncoding": "base64",
                       "description": "AES-256-GCM of the Record as UTF-8 JSON, tag appended; "
                                      "additional data: the uuid as UTF-8."}}},
    "Record": {"type": "object", "description": "The plaintext inside a sealed record.",
               "required": ["uuid", "form_id", "form_version", "language", "answers", "consent"],
               "properties": {
        "uuid": {"type": "string", "format": "uuid"}, "form_id": {"type": "string"},
        "form_version": {"type": "string"}, "language": {"type": "string"},
        "started_at": {"type": ["string", "null"], "format": "date-time"},
        "finished_at": {"type": ["string", "null"], "format": "date-time"},
        "answers": {"type": "object"},
        "notes": {"type": "object", "additionalProperties": {"type": "object", "properties": {
            "body": {"type": "string"}, "language": {"type": "string"},
            "translation": {"type": "boolean"}}}},
        "consent": {"type": "object", "properties": {
            "version": {"type": "string"}, "language": {"type": "string"},
            "method": {"enum": ["self", "oral", "oral_translator"]},
            "given_at": {"type": "string", "format": "date-time"},
            "optional": {"type": "object", "additionalProperties": {"type": "boolean"}},
            "existing_code": {"type": ["string", "null"]}}}}},
    "Upload": {"type": "object", "required": ["records"], "properties": {
        "records": {"type": "array", "items": _ref("SealedRecord")}}},
    "Result": {"type": "object", "required": ["uuid", "status", "http"], "description": (
        "What became of one record. stored, duplicate: the server holds it, the tablet deletes it. "
        "withdrawn: she withdrew; it is not stored, the tablet deletes it. conflict: its uuid is "
        "stored (under any form) with other content, times or interviewer; keep it, flag it. "
        "invalid: error.field names what is wrong (a lone surrogate, a NUL, an infinite number, "
        "nesting deeper than 8, a wrong JSON type, an answer skip logic hides); nothing of it is "
        "written; keep it, flag it. retry, or a status you do not know: keep it, send it again."),
        "properties": {
        "uuid": {"type": ["string", "null"]},
        "status": {"enum": list(Result.HTTP)},
        "http": {"enum": list(Result.HTTP.values())},
        "participant_code": {"type": "string"},
        "error": {"type": "object", "properties": {
            "field": {"type": ["string", "null"]}, "message": {"type": ["string", "null"]}}}}},
    "Results": {"type": "object", "properties": {
        "results": {"type": "array", "items": _ref("Result")}}},
    "Refusals": {"type": "object", "required": ["refusals"], "properties": {
        "refusals": {"type": "array", "items": {
            "type": "object", "required": ["uuid", "form_id"], "properties": {
                "uuid": {"type": "string", "format": "uuid"}, "form_id": {"type": "string"}}}}}},
    "Counted": {"type": "object", "properties": {
        "counted": {"type": "array", "items": {"type": "string", "format": "uuid"}}}},
}


def document() -> dict[str, Any]:
    submissions = {
        "summary": "Upload sealed records; one result per record, in order.",
        "security": [{"session": [], "csrf": []}],
        "requestBody": {"required": True, "content": {"application/json": {"schema": _ref("Upload")}}},
        "responses": {
            "200": _json(_ref("Results"), "A result for every record."),
            "400": _error("Not JSON, nested past what JSON can be read to, or not "
                          "{\"records\": [...]} (field records); or the CSRF token is missing "
                          "or stale (field X-CSRFToken)."),
            "401": _error("Not logged in, or the session ended (also when the CSRF token is "
                          "missing too)."),
            "403": _error("This role may not sync, or she belongs to no organisation."),
            "405": _error("Only POST; the Allow header says so."),
            "413": _error("The body or the number of records is over the limit (field records)."),
            "503": {**_error("The database was busy or at fault; nothing was stored. Send it "
                             "again after Retry-After seconds."),
                    "headers": {"Retry-After": {"schema": {"type": "integer"}}}},
        },
    }
    return {
        "openapi": "3.1.0",
        "info": {"title": "Community survey sync API", "version": "1"},
        "servers": [{"url": "/api/v1"}],
        "paths": {
            "/session": _get("The logged-in user, a CSRF token and the upload limits.",
                             _ref("Session")),
            "/key": _get("The public key to seal records to.", _ref("Key")),
            "/forms": _get("The surveys her organisation runs.", {
                "type": "object", "properties": {
                    "forms": {"type": "array", "items": _ref("FormSummary")}}}),
            "/forms/{form_id}": {**_get("Everything needed to run the survey offline.",
                                        _ref("Form"), **{"404": _error("No such survey here.")}),
                                 "parameters": [{"name": "form_id", "in": "path",
                                                 "required": True, "schema": {"type": "string"}}]},
            "/submissions": {"post": submissions},
            "/refusals": {"post": {
                "summary": "Refusals counted offline; a receipt sent again is counted once.",
                "security": [{"session": [], "csrf": []}],
                "requestBody": {"required": True,
                                "content": {"application/json": {"schema": _ref("Refusals")}}},
                "responses": {
                    "200": _json(_ref("Counted"), "Receipts counted (or counted before)."),
                    "400": _error("Not {\"refusals\": [...]}; the field is named."),
                    "401": _error("Not logged in, or the session ended."),
                }}},
            "/openapi.json": {"get": {"summary": "This document.", "responses": {
                "200": {"description": "OpenAPI 3.1", "content": {"application/json": {}}}}}},
        },
        "components": {
            "schemas": SCHEMAS,
            "securitySchemes": {
                "session": {"type": "apiKey", "in": "cookie", "name": "session"},
                "csrf": {"type": "apiKey", "in": "header", "name": "X-CSRFToken"},
            },
        },
    }
