"""AutoThrottle for a monitor, where most answers are 304 Not Modified."""

from __future__ import annotations

from scrapy.core.downloader import Slot
from scrapy.extensions.throttle import AutoThrottle
from scrapy.http import Response


class MonitorThrottle(AutoThrottle):
    """Scrapy's AutoThrottle, with 304 counted as a normal answer.

    Scrapy never lowers a slot's delay on a non-200 answer (error pages are small and fast,
    which would feed back into ever shorter delays). For a monitor, 304 is the usual
    healthy answer: treating it as an error ratchets the delay up on every latency spike
    and never lets it come down, which roughly doubled an unchanged cycle on one host.
    """

    def _adjust_delay(self, slot: Slot, latency: float, response: Response) -> None:
        if response.status == 304:
            response = response.replace(status=200)
        super()._adjust_delay(slot, latency, response)
