// A reader's journey through the site, by clicking, as a person would.
const { test, expect } = require('@playwright/test');
const h = require('./helpers');

test.use({ baseURL: h.baseUrl() });

test('home → topic in its group → heading anchor → compare → framework page', async ({ page }) => {
  await page.goto('/');
  await expect(page.getByRole('heading', { level: 1 })).toBeVisible();

  // Click the first topic of the first group.
  const card = page.locator('.topic-list li').first();
  const cardLink = card.getByRole('link');
  const topicTitle = (await cardLink.textContent()).trim();
  const topicHref = await cardLink.getAttribute('href');
  expect(topicHref).toMatch(/^\/topics\/[a-z0-9-]+$/);
  await cardLink.click();
  await expect(page).toHaveURL(new RegExp(`${topicHref}$`));
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(topicTitle);

  // Click a section heading's "#" anchor: the URL gains the fragment and the heading is the target.
  const anchor = page.locator('h2 a.anchor').first();
  const fragment = await anchor.getAttribute('href');
  expect(fragment).toMatch(/^#[A-Za-z0-9_-]+$/);
  await expect(anchor).toHaveText('#');
  await expect(anchor).toHaveAccessibleName(/Link to the section/);
  await anchor.click();
  await expect(page).toHaveURL(new RegExp(`${topicHref}${fragment}$`));
  const target = page.locator(`[id="${fragment.slice(1)}"]`);
  await expect(target).toBeInViewport();
  expect(await target.evaluate((el) => el.matches(':target'))).toBe(true);

  // Navigate to /compare through the main navigation.
  const nav = page.getByRole('navigation', { name: 'Main' });
  await nav.getByRole('link', { name: 'Compare', exact: true }).click();
  await expect(page).toHaveURL(/\/compare$/);
  await expect(nav.getByRole('link', { name: 'Compare', exact: true })).toHaveAttribute('aria-current', 'page');
  const matrix = page.getByRole('table');
  await expect(matrix).toBeVisible();
  // The topic we came from has a row that links back to it.
  await expect(matrix.getByRole('rowheader').getByRole('link', { name: topicTitle, exact: true })).toHaveAttribute('href', topicHref);

  // Click a framework's column header link.
  const headerLink = matrix.getByRole('columnheader').getByRole('link').first();
  const frameworkName = (await headerLink.textContent()).trim();
  const frameworkHref = await headerLink.getAttribute('href');
  expect(frameworkHref).toMatch(/^\/frameworks\/[a-z0-9-]+$/);
  await headerLink.click();
  await expect(page).toHaveURL(new RegExp(`${frameworkHref}$`));
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(frameworkName);
  await expect(page).toHaveTitle(new RegExp(frameworkName));
});
