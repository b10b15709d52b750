"""In-memory state of all four services, its seed format and the runtime config."""

import copy
import threading
import time

# Documented limits (API.md 1.1).
MAX_ACTORS_PER_MAILBOX = 40
MAX_MAILBOXES_PER_ACTOR = 40
MAX_DELEGATED_PER_ORG = 2500
MAX_SHARED_PER_ORG = 2500

DEFAULT_CONFIG = {
    "task_polls": 1,
    "task_seconds": 0.5,
    "task_outcomes": {},
    "latency_ms": 0,
    "max_per_page": 100,
    "omit_pages": False,
    "actors_when_not_delegated": "empty",
    "shared_write_body": "object",
    "role_item_shape": "string",
    "update_status": 204,
    "pdd_numbers": "string",
    "delete_delegated_body": "object",
    "rule_id_type": "number",
    "delete_rule_body": "object",
}

CONFIG_CHOICES = {
    "actors_when_not_delegated": ("empty", "error"),
    "shared_write_body": ("object", "empty"),
    "role_item_shape": ("string", "object"),
    "update_status": (200, 204),
    "pdd_numbers": ("string", "number"),
    "delete_delegated_body": ("object", "empty"),
    "rule_id_type": ("number", "string"),
    "delete_rule_body": ("object", "empty"),
}


def normalize_seed(seed):
    """Return a full state document from a (possibly partial) seed document."""
    data = copy.deepcopy(seed or {})
    data.pop("_comment", None)
    data.pop("tasks", None)  # GET /_control/state adds it; tasks are runtime-only
    y360 = data.setdefault("y360", {})
    y360.setdefault("org_id", 1234567)
    y360.setdefault("domain", "example.com")
    for key in ("users", "groups", "departments", "shared_mailboxes", "delegated"):
        y360.setdefault(key, [])
    y360.setdefault("tokens", {})
    y360.setdefault("access", {})
    y360["delegated"] = [str(uid) for uid in y360["delegated"]]
    y360["access"] = {
        str(res): {str(actor): list(roles) for actor, roles in actors.items()}
        for res, actors in y360["access"].items()
    }
    mail_lists = data.setdefault("mail_lists", {})
    # Every address-owning group or department has a list; no restriction = one anonymous grant.
    for owner in y360["groups"] + y360["departments"]:
        email_id = str(owner.get("emailId", "0"))
        if email_id != "0" and owner.get("email") and email_id not in mail_lists:
            mail_lists[email_id] = [{"roles": ["mail_list_sender"],
                                     "subject": {"type": "anonymous", "id": 0, "org_id": 0}}]
    uss = data.setdefault("clouduss", {})
    uss.setdefault("users", [])
    uss.setdefault("tokens", {})
    uss.setdefault("mailboxes", {})
    uss.setdefault("next_id", 20000000)
    uss.setdefault("next_email_address_id", 30000000)
    pdd = data.setdefault("pdd", {})
    pdd.setdefault("tokens", {})
    pdd.setdefault("domains", {})
    return data


class Store:
    """All mutable server state behind one lock (requests are served by several threads)."""

    def __init__(self, seed, base_config=None):
        self.lock = threading.RLock()
        self.started = time.monotonic()
        self.seed = normalize_seed(seed)
        self.base_config = copy.deepcopy(DEFAULT_CONFIG)
        self.base_config.update(base_config or {})
        self.reset()

    def reset(self):
        with self.lock:
            self.data = copy.deepcopy(self.seed)
            self.config = copy.deepcopy(self.base_config)
            self.tasks = {}
            self.task_counter = 0
            self.requests = []
            self.seq = 0
            self.faults = []

    def replace(self, document):
        """PUT /_control/state: new data, tasks dropped, log/faults/config kept."""
        with self.lock:
            self.data = normalize_seed(document)
            self.tasks = {}

    def export(self):
        with self.lock:
            doc = copy.deepcopy(self.data)
            doc["tasks"] = copy.deepcopy(self.tasks)
            return doc

    def update_config(self, changes):
        """Merge config keys; raises ValueError for unknown keys or values."""
        with self.lock:
            for key, value in changes.items():
                if key not in DEFAULT_CONFIG:
                    raise ValueError("unknown config key %r" % key)
                choices = CONFIG_CHOICES.get(key)
                if choices and value not in choices:
                    raise ValueError("%s must be one of %s" % (key, list(choices)))
                if key == "task_outcomes":
                    if not isinstance(value, dict) or any(
                            v not in ("error", "never", "complete") for v in value.values()):
                        raise ValueError("task_outcomes values must be error|never|complete")
                    self.config[key] = dict(self.config.get(key) or {}, **value)
                else:
                    self.config[key] = value
            return copy.deepcopy(self.config)

    def next_task_id(self):
        self.task_counter += 1
        return "%d" % (7700000000000000 + self.task_counter)

    def log(self, entry):
        with self.lock:
            self.seq += 1
            entry["seq"] = self.seq
            self.requests.append(entry)
