"""MediaType: the kind of asset a project labels or an ontology is for, with the SDK's member names."""

from __future__ import annotations

from enum import Enum


class MediaType(str, Enum):
    """Values are the API's. A str enum, so `project.media_type == "IMAGE"` holds as well."""

    Audio = "AUDIO"
    Conversational = "CONVERSATIONAL"
    Document = "PDF"
    Geospatial_Tile = "TMS_GEO"
    Html = "HTML"
    Image = "IMAGE"
    Pdf = "PDF"
    Simple_Tile = "TMS_SIMPLE"
    Text = "TEXT"
    Tms_Geo = "TMS_GEO"
    Tms_Simple = "TMS_SIMPLE"
    Unknown = "UNKNOWN"
    Unsupported = "UNSUPPORTED"
    Video = "VIDEO"
    Point_Cloud = "POINT_CLOUD"
    LLM = "LLM"

    @classmethod
    def _missing_(cls, value: object) -> MediaType:
        """null (no media type set) is Unknown; a name in any case or dash/camel spelling finds its member."""
        if value is None:
            return cls.Unknown
        wanted = str(value).replace("-", "_").replace(" ", "_").upper()
        for name, member in cls.__members__.items():
            if name.upper() == wanted or name.replace("_", "").upper() == wanted.replace("_", ""):
                return member
        return cls.Unsupported

    @classmethod
    def is_supported(cls, value: object) -> bool:
        return isinstance(value, cls) and value not in (cls.Unknown, cls.Unsupported)

    @classmethod
    def get_supported_members(cls) -> list[str]:
        return [name for name in cls.__members__ if name not in ("Unknown", "Unsupported")]


def media_type_error(media_type: object) -> TypeError:
    return TypeError(f"{media_type} is not a valid media type. Use any of {MediaType.get_supported_members()} "
                     "from MediaType. Example: MediaType.Image.")
