/**
 * MLB franchises with their Retrosheet codes over time, full names over time and the abbreviations
 * books use. Seeded into the teams/team_names tables by migration 002 so odds files that name teams
 * ("Los Angeles Angels of Anaheim", "LAA", "FLA") resolve to the Retrosheet code in use on the game's date.
 */
export interface TeamCodeSpan {
  code: string;
  league: string;
  city: string;
  nickname: string;
  first: number;
  last: number | null;
}

export interface FranchiseSeed {
  franchise: string;
  codes: TeamCodeSpan[];
  /** Full names as books and newspapers wrote them, with the seasons they were current (null = still). */
  names: [name: string, first: number, last: number | null][];
  abbreviations: string[];
}

const one = (code: string, league: string, city: string, nickname: string, first = 1901): TeamCodeSpan => ({
  code,
  league,
  city,
  nickname,
  first,
  last: null,
});
const simple = (code: string, league: string, city: string, nickname: string, abbr: string[], first = 1901): FranchiseSeed => ({
  franchise: code,
  codes: [one(code, league, city, nickname, first)],
  names: [[`${city} ${nickname}`, first, null]],
  abbreviations: abbr,
});

export const realFranchises: FranchiseSeed[] = [
  {
    franchise: 'ANA',
    codes: [{ code: 'ANA', league: 'AL', city: 'Anaheim', nickname: 'Angels', first: 1961, last: null }],
    names: [
      ['California Angels', 1965, 1996],
      ['Anaheim Angels', 1997, 2004],
      ['Los Angeles Angels of Anaheim', 2005, 2015],
      ['Los Angeles Angels', 2016, null],
    ],
    abbreviations: ['LAA', 'ANA', 'CAL', 'LA Angels', 'Angels'],
  },
  simple('ARI', 'NL', 'Arizona', 'Diamondbacks', ['ARI', 'AZ', 'Diamondbacks'], 1998),
  simple('ATL', 'NL', 'Atlanta', 'Braves', ['ATL', 'Braves'], 1966),
  simple('BAL', 'AL', 'Baltimore', 'Orioles', ['BAL', 'Orioles'], 1954),
  simple('BOS', 'AL', 'Boston', 'Red Sox', ['BOS', 'Red Sox']),
  simple('CHA', 'AL', 'Chicago', 'White Sox', ['CWS', 'CHW', 'CHA', 'White Sox']),
  simple('CHN', 'NL', 'Chicago', 'Cubs', ['CHC', 'CHN', 'Cubs']),
  simple('CIN', 'NL', 'Cincinnati', 'Reds', ['CIN', 'Reds']),
  {
    franchise: 'CLE',
    codes: [one('CLE', 'AL', 'Cleveland', 'Guardians')],
    names: [
      ['Cleveland Indians', 1915, 2021],
      ['Cleveland Guardians', 2022, null],
    ],
    abbreviations: ['CLE', 'Indians', 'Guardians'],
  },
  simple('COL', 'NL', 'Colorado', 'Rockies', ['COL', 'Rockies'], 1993),
  simple('DET', 'AL', 'Detroit', 'Tigers', ['DET', 'Tigers']),
  simple('HOU', 'AL', 'Houston', 'Astros', ['HOU', 'Astros'], 1962),
  simple('KCA', 'AL', 'Kansas City', 'Royals', ['KC', 'KCR', 'KCA', 'Royals'], 1969),
  simple('LAN', 'NL', 'Los Angeles', 'Dodgers', ['LAD', 'LAN', 'LA', 'Dodgers'], 1958),
  {
    franchise: 'MIA',
    codes: [
      { code: 'FLO', league: 'NL', city: 'Florida', nickname: 'Marlins', first: 1993, last: 2011 },
      { code: 'MIA', league: 'NL', city: 'Miami', nickname: 'Marlins', first: 2012, last: null },
    ],
    names: [
      ['Florida Marlins', 1993, 2011],
      ['Miami Marlins', 2012, null],
    ],
    abbreviations: ['MIA', 'FLA', 'FLO', 'Marlins'],
  },
  simple('MIL', 'NL', 'Milwaukee', 'Brewers', ['MIL', 'Brewers'], 1970),
  simple('MIN', 'AL', 'Minnesota', 'Twins', ['MIN', 'Twins'], 1961),
  simple('NYA', 'AL', 'New York', 'Yankees', ['NYY', 'NYA', 'Yankees']),
  simple('NYN', 'NL', 'New York', 'Mets', ['NYM', 'NYN', 'Mets'], 1962),
  {
    franchise: 'OAK',
    codes: [
      { code: 'OAK', league: 'AL', city: 'Oakland', nickname: 'Athletics', first: 1968, last: 2024 },
      { code: 'ATH', league: 'AL', city: 'Sacramento', nickname: 'Athletics', first: 2025, last: null },
    ],
    names: [
      ['Oakland Athletics', 1968, 2024],
      ['Athletics', 2025, null],
    ],
    abbreviations: ['OAK', 'ATH', "A's"],
  },
  simple('PHI', 'NL', 'Philadelphia', 'Phillies', ['PHI', 'Phillies']),
  simple('PIT', 'NL', 'Pittsburgh', 'Pirates', ['PIT', 'Pirates']),
  simple('SDN', 'NL', 'San Diego', 'Padres', ['SD', 'SDP', 'SDN', 'Padres'], 1969),
  simple('SEA', 'AL', 'Seattle', 'Mariners', ['SEA', 'Mariners'], 1977),
  simple('SFN', 'NL', 'San Francisco', 'Giants', ['SF', 'SFG', 'SFN', 'Giants'], 1958),
  {
    franchise: 'SLN',
    codes: [one('SLN', 'NL', 'St. Louis', 'Cardinals')],
    names: [
      ['St. Louis Cardinals', 1901, null],
      ['St Louis Cardinals', 1901, null],
      ['Saint Louis Cardinals', 1901, null],
    ],
    abbreviations: ['STL', 'SLN', 'Cardinals'],
  },
  {
    franchise: 'TBA',
    codes: [one('TBA', 'AL', 'Tampa Bay', 'Rays', 1998)],
    names: [
      ['Tampa Bay Devil Rays', 1998, 2007],
      ['Tampa Bay Rays', 2008, null],
    ],
    abbreviations: ['TB', 'TBR', 'TBD', 'TBA', 'Rays'],
  },
  simple('TEX', 'AL', 'Texas', 'Rangers', ['TEX', 'Rangers'], 1972),
  simple('TOR', 'AL', 'Toronto', 'Blue Jays', ['TOR', 'Blue Jays'], 1977),
  {
    franchise: 'WAS',
    codes: [
      { code: 'MON', league: 'NL', city: 'Montreal', nickname: 'Expos', first: 1969, last: 2004 },
      { code: 'WAS', league: 'NL', city: 'Washington', nickname: 'Nationals', first: 2005, last: null },
    ],
    names: [
      ['Montreal Expos', 1969, 2004],
      ['Washington Nationals', 2005, null],
    ],
    abbreviations: ['WSH', 'WSN', 'WAS', 'MON', 'Nationals', 'Expos'],
  },
];
