"""Scrapy settings for a polite monitor, registered by dotted path as Scrapy's own are."""

from __future__ import annotations

from typing import Any

from claimwatch import __version__

USER_AGENT = (
    f"claimwatch/{__version__} (claim-change monitor; +https://pypi.org/project/claimwatch/)"
)

SETTINGS: dict[str, Any] = {
    "BOT_NAME": "claimwatch",
    "USER_AGENT": USER_AGENT,
    "TWISTED_REACTOR": "twisted.internet.asyncioreactor.AsyncioSelectorReactor",
    "ROBOTSTXT_OBEY": True,
    "ROBOTSTXT_USER_AGENT": "claimwatch",
    "COOKIES_ENABLED": False,
    "TELNETCONSOLE_ENABLED": False,
    "LOG_ENABLED": False,
    # A hanging host must not cost minutes: bound the whole response, retry little.
    "DOWNLOAD_TIMEOUT": 30,
    "RETRY_ENABLED": True,
    "RETRY_TIMES": 1,
    "RETRY_HTTP_CODES": [500, 502, 503, 504, 522, 524, 408],
    # Also bounds the decompressed size, so a gzip bomb stops here.
    "DOWNLOAD_MAXSIZE": 5 * 1024 * 1024,
    "DOWNLOAD_WARNSIZE": 0,
    "DOWNLOAD_FAIL_ON_DATALOSS": True,
    "REDIRECT_MAX_TIMES": 10,
    "CONCURRENT_REQUESTS": 32,
    "CONCURRENT_REQUESTS_PER_DOMAIN": 16,
    "AUTOTHROTTLE_ENABLED": True,
    "AUTOTHROTTLE_START_DELAY": 0.0,
    "AUTOTHROTTLE_MAX_DELAY": 30.0,
    "AUTOTHROTTLE_TARGET_CONCURRENCY": 16.0,
    # Scrapy imports every extension named here or in its base list, even one set to None
    # (its remote control alone pulls in aiohttp: ~0.16 s of each cycle's start-up), so the
    # base list is replaced by the few this monitor uses.
    "EXTENSIONS_BASE": {
        "scrapy.extensions.corestats.CoreStats": 0,
        "scrapy.extensions.logcount.LogCount": 0,
        "scrapy.extensions.memusage.MemoryUsage": 0,
    },
    "EXTENSIONS": {"claimwatch.crawler.throttle.MonitorThrottle": 0},
    # Scrapy's defaults minus what fetching known URLs never needs (offsite filtering, HTTP
    # auth, download stats, HTTP cache and cookies, both off anyway; referer, URL length and
    # depth tracking): each costs every request a little.
    "DOWNLOADER_MIDDLEWARES_BASE": {
        "scrapy.downloadermiddlewares.robotstxt.RobotsTxtMiddleware": 100,
        "scrapy.downloadermiddlewares.downloadtimeout.DownloadTimeoutMiddleware": 350,
        "scrapy.downloadermiddlewares.defaultheaders.DefaultHeadersMiddleware": 400,
        "scrapy.downloadermiddlewares.useragent.UserAgentMiddleware": 500,
        "scrapy.downloadermiddlewares.retry.RetryMiddleware": 550,
        "scrapy.downloadermiddlewares.redirect.MetaRefreshMiddleware": 580,
        "scrapy.downloadermiddlewares.httpcompression.HttpCompressionMiddleware": 590,
        "scrapy.downloadermiddlewares.redirect.RedirectMiddleware": 600,
        "scrapy.downloadermiddlewares.httpproxy.HttpProxyMiddleware": 750,
    },
    "SPIDER_MIDDLEWARES_BASE": {
        "scrapy.spidermiddlewares.start.StartSpiderMiddleware": 25,
        "scrapy.spidermiddlewares.httperror.HttpErrorMiddleware": 50,
    },
    "DOWNLOADER_MIDDLEWARES": {
        # Below RobotsTxtMiddleware (100), so no request goes to a refused host at all.
        "claimwatch.crawler.middlewares.RedirectTargetGuardMiddleware": 50,
        "claimwatch.crawler.middlewares.ConditionalGetMiddleware": 560,
        # Above RedirectMiddleware (600), so it sees a 3xx before it is followed.
        "claimwatch.crawler.middlewares.RedirectGuardMiddleware": 650,
    },
    "ITEM_PIPELINES": {
        "claimwatch.crawler.pipelines.ExtractPipeline": 300,
        "claimwatch.crawler.pipelines.StorePipeline": 800,
    },
}
