/** The demo league's 30 fictional clubs: codes chosen not to collide with any Retrosheet code. */
export const demoTeams: { code: string; city: string; nickname: string }[] = [
  ['AUS', 'Austin', 'Armadillos'], ['BUF', 'Buffalo', 'Bison'], ['CHT', 'Charlotte', 'Knights'], ['CLB', 'Columbus', 'Clippers'],
  ['IND', 'Indianapolis', 'Racers'], ['LVA', 'Las Vegas', 'Aces'], ['LOU', 'Louisville', 'Sluggers'], ['MEM', 'Memphis', 'Blues'],
  ['NSH', 'Nashville', 'Sounds'], ['NOR', 'New Orleans', 'Pelicans'], ['OKC', 'Oklahoma City', 'Comets'], ['OMA', 'Omaha', 'Stormchasers'],
  ['ORL', 'Orlando', 'Suns'], ['POR', 'Portland', 'Beavers'], ['RAL', 'Raleigh', 'Oaks'], ['RIC', 'Richmond', 'Squirrels'],
  ['SAC', 'Sacramento', 'Rivercats'], ['SLC', 'Salt Lake', 'Bees'], ['SNA', 'San Antonio', 'Missions'], ['SJQ', 'San Jose', 'Quakes'],
  ['ALB', 'Albuquerque', 'Isotopes'], ['BIR', 'Birmingham', 'Barons'], ['HFD', 'Hartford', 'Yard Goats'], ['HON', 'Honolulu', 'Surfers'],
  ['JAX', 'Jacksonville', 'Shrimp'], ['MTL', 'Montreal', 'Royaux'], ['VAN', 'Vancouver', 'Canadians'], ['ELP', 'El Paso', 'Chihuahuas'],
  ['TUL', 'Tulsa', 'Drillers'], ['DUR', 'Durham', 'Bulls'],
].map(([code, city, nickname]) => ({ code, city, nickname }));

export const DEMO_LEAGUES = ['EL', 'WL'] as const;
