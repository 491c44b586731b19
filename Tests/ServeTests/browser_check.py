#!/usr/bin/env python3
"""Loads `experiments serve`'s compare page in headless Chromium and checks what it drew.

    browser_check.py URL RUN_ID RUN_ID DIFFERING_KEY [--screenshot FILE]

A canvas cannot be read from the DOM, so the check reads the chart's own data from the page
(window.serveChartData: the labels and rows handed to dygraphs, and the chart's drawn points)
and requires a drawn series with finite values for every run, then the config-diff table's
header naming DIFFERING_KEY. Prints one line and exits 0 when all holds, 1 otherwise.
"""
import argparse
import sys
import time

from selenium import webdriver
from selenium.webdriver.chrome.service import Service


def open_browser():
    options = webdriver.ChromeOptions()
    for argument in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                     "--window-size=1280,1000"):
        options.add_argument(argument)
    options.binary_location = "/usr/bin/chromium"
    return webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)


def wait_for(driver, script, seconds=30):
    deadline = time.time() + seconds
    while time.time() < deadline:
        value = driver.execute_script(script)
        if value:
            return value
        time.sleep(0.2)
    return None


def check(driver, url, ids, key):
    driver.get(url)
    drawn = wait_for(driver, """
        const chart = window.serveChart, data = window.serveChartData;
        if (!chart || !data || !document.querySelector('#diff-table')) return null;
        // What dygraphs drew: per series, how many points landed on the canvas.
        const points = chart.layout_.points.map(series => series.filter(p => Number.isFinite(p.canvasy)).length);
        return {columns: data.columns, points, rows: data.rows.length,
                diff: [...document.querySelectorAll('#diff-table th')].map(th => th.textContent),
                runs: [...document.querySelectorAll('#diff-table tbody tr')].map(tr => tr.textContent)};
    """)
    if not drawn:
        return "the compare page drew no chart and no diff table within 30 s: " + driver.find_element("id", "main").text
    # One curve per run (smoothed, or raw when smoothing is off), each with points on the canvas.
    curves = {column["id"]: count for column, count in zip(drawn["columns"], drawn["points"]) if not column["raw"]}
    for run in ids:
        if curves.get(run, 0) == 0:
            return f"no drawn curve for {run}: columns {drawn['columns']}, points drawn {drawn['points']}"
    if key not in drawn["diff"]:
        return f"the config diff does not name '{key}': {drawn['diff']}"
    for run in ids:
        if not any(run in row for row in drawn["runs"]):
            return f"run {run} is missing from the diff table"
    return None


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("url")
    parser.add_argument("ids", nargs="+")
    parser.add_argument("--key", required=True)
    parser.add_argument("--screenshot")
    arguments = parser.parse_args()
    driver = open_browser()
    try:
        problem = check(driver, arguments.url, arguments.ids, arguments.key)
        if arguments.screenshot:
            driver.save_screenshot(arguments.screenshot)
    finally:
        driver.quit()
    if problem:
        print("browser check failed: " + problem)
        return 1
    print(f"browser check passed: {len(arguments.ids)} series drawn, the diff names '{arguments.key}'")
    return 0


if __name__ == "__main__":
    sys.exit(main())
