"""Site files: one YAML file per front office, checked by pydantic and turned into a `Site`.

`load_site_config(path)` reads and checks a file and raises `ConfigError`, listing every
problem as `path: message` (`services[2].prefix: must be 1 or 2 capital letters, got 'a1'`);
`SiteConfig.to_site()` gives the domain's `Site`; `json_schema()` describes the format.
"""

from .document import SiteConfig
from .loading import (
    json_schema,
    load_site,
    load_site_config,
    parse_site_config,
    validate_site_config,
)
from .problems import ConfigError, Problem
from .sections import (
    CounterConfig,
    CounterServiceRef,
    DeviceConfig,
    OpeningHoursConfig,
    PolicyConfig,
    ServiceConfig,
    SiteSection,
)

__all__ = [
    "ConfigError",
    "CounterConfig",
    "CounterServiceRef",
    "DeviceConfig",
    "OpeningHoursConfig",
    "PolicyConfig",
    "Problem",
    "ServiceConfig",
    "SiteConfig",
    "SiteSection",
    "json_schema",
    "load_site",
    "load_site_config",
    "parse_site_config",
    "validate_site_config",
]
